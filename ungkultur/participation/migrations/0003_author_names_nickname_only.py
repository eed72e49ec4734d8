"""Youth are not named in public (docs/privacy.md): the name stored beside proposals, budget
projects and comments (``author_name``, shown on open pages and in the open API) held the
first name of every youth without a nickname. It now holds the nickname the youth chose, or
nothing. Nothing else changes: the rows, their authors and the first names on the accounts stay
(staff who answer proposals see those), so the reverse has nothing to restore and is a no-op.

A comment by an adult who answers for the municipality (staff of a unit or a non-youth member of
a group in the proposal's municipality, or anyone with a national role) keeps its name, as
participation.services.shown_name does for new comments. A row whose author account is gone
(author is null) keeps no name: nobody is left whose nickname it could be.
"""

from django.db import migrations, models


def _adults_of(apps, municipality_id) -> set[int]:
    Membership = apps.get_model("organisations", "Membership")
    UnitStaff = apps.get_model("organisations", "UnitStaff")
    NationalRole = apps.get_model("organisations", "NationalRole")
    User = apps.get_model("accounts", "User")
    adults = set(
        Membership.objects.filter(group__municipality_id=municipality_id)
        .exclude(role="youth_member")
        .values_list("user_id", flat=True)
    )
    adults |= set(
        UnitStaff.objects.filter(unit__municipality_id=municipality_id).values_list(
            "user_id", flat=True
        )
    )
    adults |= set(NationalRole.objects.values_list("user_id", flat=True))
    adults |= set(User.objects.filter(is_superuser=True).values_list("pk", flat=True))
    return adults


def names_to_nicknames(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    nicknames = dict(User.objects.values_list("pk", "nickname"))
    for model_name in ("Proposal", "BudgetProject"):
        model = apps.get_model("participation", model_name)
        for row in model.objects.exclude(author_name="").only("pk", "author_id", "author_name"):
            shown = nicknames.get(row.author_id, "")
            if row.author_name != shown:
                model.objects.filter(pk=row.pk).update(author_name=shown)
    Comment = apps.get_model("participation", "Comment")
    adults_by_municipality: dict[int, set[int]] = {}
    comments = Comment.objects.exclude(author_name="").values_list(
        "pk", "author_id", "author_name", "proposal__municipality_id"
    )
    for pk, author_id, author_name, municipality_id in comments:
        if municipality_id not in adults_by_municipality:
            adults_by_municipality[municipality_id] = _adults_of(apps, municipality_id)
        if author_id is not None and author_id in adults_by_municipality[municipality_id]:
            continue  # an adult answering for the municipality keeps the name shown
        shown = nicknames.get(author_id, "")
        if author_name != shown:
            Comment.objects.filter(pk=pk).update(author_name=shown)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_consent_named_nickname_help"),
        ("organisations", "0001_initial"),
        ("participation", "0002_proposals_budget_polls"),
    ]

    operations = [
        migrations.AlterField(
            model_name="budgetproject",
            name="author_name",
            field=models.CharField(blank=True, max_length=100, verbose_name="vist navn"),
        ),
        migrations.AlterField(
            model_name="comment",
            name="author_name",
            field=models.CharField(blank=True, max_length=100, verbose_name="vist navn"),
        ),
        migrations.RunPython(names_to_nicknames, migrations.RunPython.noop),
    ]
