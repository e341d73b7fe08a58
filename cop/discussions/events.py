"""What happens in discussions, for the features that react (search index, notifications).

Signals are sent by the services inside the request's transaction, so a receiver's writes
commit or roll back with the change that caused them. Receivers take the sender and keywords:
- thread_created(thread, post=opening post, mentioned=[users who may see it])
- post_created(post, thread=..., mentioned=[...]): a reply
- post_edited(post, thread=..., mentioned=[newly mentioned users who may see it])
- post_removed(post, thread=...): deleted or hidden, out of search and feeds
- post_restored(post, thread=...): visible again
- thread_changed(thread): title, kind, tags, space, hidden state or outcome changed
- moderated(thread, post=None, action=..., reason=..., actor=...): tell the author
"""
from blinker import Namespace

_signals = Namespace()
thread_created = _signals.signal("thread-created")
post_created = _signals.signal("post-created")
post_edited = _signals.signal("post-edited")
post_removed = _signals.signal("post-removed")
post_restored = _signals.signal("post-restored")
thread_changed = _signals.signal("thread-changed")
moderated = _signals.signal("moderated")
