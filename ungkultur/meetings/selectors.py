import datetime


def mypage_section(user, *, now: datetime.datetime) -> dict | None:
    """What Min side shows of meetings for this user: a dict with the key "template"
    (rendered with the dict as `section`), or None when there is nothing to show."""
    return None
