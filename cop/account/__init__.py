"""The person's own account: editing their profile (name, role, presentation, language),
changing their password, downloading everything the platform holds about them, and deleting
the account.

Pages: /profilo, /profilo/password, /profilo/dati (+ dati.json), /profilo/elimina.
The directory profile (skills, learning record, trainer offer) stays in cop.directory; the
public profile pages, which are about other people too, stay in cop.people.

The personal data export is built from one collector per feature (`services.register_collector`,
called from each feature's `wiring.init_app`); deletion runs each feature's
`services.register_deletion` hook first. Deleting is refused for the last administrator and for
a space's only coordinator.
"""
