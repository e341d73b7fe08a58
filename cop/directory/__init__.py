"""The directory of people, skills and trainers across all Alleanze.

Pages: /rubrica/ (search), /rubrica/formatori, /rubrica/mappa, /rubrica/contatta/<id>;
the person's own: /profilo/competenze, /profilo/formazione, /profilo/formatore (their data
export and account deletion are cop.account's); endorsements are posted from the profile.

Decisions where the issue is silent:
- details (bio, skills, topics, languages, learning, trainer offer, endorsements) are visible to
  everybody signed in until the person chooses otherwise; "share a space" means both are
  members of one space; admins always see them (see cop/access/directory.py);
- the directory lists only active people whose details the viewer sees and who have a directory
  profile (a row in profile_details: saved skills, or a bio written since);
- several skills mean all of them, each at the minimum level; results rank the stronger
  (level, then endorsements) first;
- contact follows the same visibility; the limit is per sender (DIRECTORY_CONTACT_RATE_LIMIT).
"""
