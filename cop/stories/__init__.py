"""Storie di valore: what a discussion, a practice or a meeting changed in someone's work,
told along Wenger's value-creation cycles."""
