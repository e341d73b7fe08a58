from cop.markdown import render_markdown


def update_profile(user, *, name: str, job_title: str, bio: str, locale: str) -> None:
    user.name = name.strip()
    user.job_title = job_title.strip()
    user.bio = bio
    user.bio_html = render_markdown(bio)
    user.locale = locale
    from cop.directory.services import refresh_search_words

    refresh_search_words(user)  # the directory finds people by the words of their bio
