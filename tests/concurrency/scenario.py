"""Data and checks for the concurrent writers test, run in a process of its own against the
database named by DATABASE_URL with the project's real settings (as `make run` has them).

    python -m tests.concurrency.scenario setup OUT.json   # after migrate
    python -m tests.concurrency.scenario check IN.json    # prints the rows as JSON
"""

import datetime
import json
import os
import sys

JOINERS = 20
RESPONDENTS = 10
PROPOSALS = 10
GUARDIANS = 4
GUARDIAN_PASSWORD = "Sterkt-Passord-for-foresatt-2026"


def _session_for(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def setup(out: str) -> None:
    from django.test.utils import override_settings
    from django.utils import timezone

    from ungkultur.accounts.models import Gender, Guardianship
    from ungkultur.accounts.selectors import guardianship_token
    from ungkultur.accounts.services import youth_register
    from ungkultur.catalogue.models import Category, Offer
    from ungkultur.enrolment.services import enrolment_join
    from ungkultur.participation.services import proposal_create
    from ungkultur.surveys import services as surveys
    from ungkultur.surveys.tests.factories import NOW, make_questionnaire, open_wave
    from ungkultur.testing import make_personas, make_user

    now = timezone.now()
    today = timezone.localdate(now)
    # Fast hashing while the data is built; the server hashes the guardians' passwords with the
    # real hasher.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        p = make_personas()
        Offer.objects.update(
            term_start=today - datetime.timedelta(days=30),
            term_end=today + datetime.timedelta(days=150),
            application_deadline=today + datetime.timedelta(days=14),
        )
        # Someone in Sola has applied to the kulturskole (the indicators have enrolments to read).
        enrolment_join(actor=p.youth_b, offer=p.b.piano, person=p.youth_b, now=now)
        joiners = [
            make_user(
                f"bli.med.{n}@example.org",
                first_name=f"Blimed{n}",
                birth_year=today.year - 14,
                municipality=p.arendal,
            )
            for n in range(JOINERS)
        ]
        wave = open_wave(p.researcher, make_questionnaire(p.researcher))
        _batch, codes = surveys.code_batch_create(
            actor=p.teacher_a, wave=wave, municipality=p.arendal, count=RESPONDENTS, now=NOW
        )
        proposals = [
            proposal_create(
                actor=p.youth_a,
                municipality=p.arendal,
                title=f"Forslag {n}",
                text="Et øvingsrom for band på fredager.",
                category=Category.MUSIC,
                services=[],
                now=now,
            )
            for n in range(PROPOSALS)
        ]
        children = [
            youth_register(
                first_name=f"Barn{n}",
                email=f"barn.{n}@example.org",
                password="Barnets-passord-2026",
                birth_year=today.year - 11,
                gender=Gender.UNDISCLOSED,
                municipality=p.arendal,
                guardian_name=f"Foresatt Nummer{n}",
                guardian_email=f"foresatt.{n}@example.org",
                now=now,
            )
            for n in range(GUARDIANS)
        ]
    tokens = [
        guardianship_token(guardianship=Guardianship.objects.get(child=child), now=now)
        for child in children
    ]
    data = {
        "offer": p.a.workshop.pk,
        "joiners": [{"pk": y.pk, "session": _session_for(y)} for y in joiners],
        "wave": wave.pk,
        "codes": codes,
        "proposals": [proposal.pk for proposal in proposals],
        "leader_session": _session_for(p.leader_a),
        "guardian_tokens": tokens,
        "children": [child.pk for child in children],
        "guardian_password": GUARDIAN_PASSWORD,
    }
    with open(out, "w") as file:
        json.dump(data, file)


def check(data_file: str) -> dict:
    from collections import Counter

    from django_tasks_db.models import DBTaskResult

    from ungkultur.accounts.models import Consent, Guardianship
    from ungkultur.core.models import AuditEntry
    from ungkultur.enrolment.models import Enrolment
    from ungkultur.participation.models import Proposal, ProposalEvent
    from ungkultur.surveys.models import AccessCode, PendingResponse, Response

    with open(data_file) as file:
        data = json.load(file)
    enrolments = Enrolment.objects.filter(offer_id=data["offer"])
    proposals = Proposal.objects.filter(pk__in=data["proposals"])
    tasks = DBTaskResult.objects.all()
    return {
        "enrolments": enrolments.count(),
        "enrolled_people": enrolments.values("participant__user_id").distinct().count(),
        "enrolment_statuses": dict(Counter(enrolments.values_list("status", flat=True))),
        "join_audit_rows": AuditEntry.objects.filter(
            action="enrolment.joined",
            object_id__in=[str(pk) for pk in enrolments.values_list("pk", flat=True)],
        ).count(),
        # A sent response may still wait in PendingResponse (moved in groups): stored too.
        "responses": Response.objects.filter(wave_id=data["wave"]).count()
        + PendingResponse.objects.filter(wave_id=data["wave"]).count(),
        "codes_used": AccessCode.objects.filter(used=True).count(),
        "proposal_statuses": dict(Counter(proposals.values_list("status", flat=True))),
        "answer_events": ProposalEvent.objects.filter(
            proposal__in=proposals, status=Proposal.Status.ACCEPTED
        ).count(),
        "confirmed_guardianships": Guardianship.objects.filter(
            child_id__in=data["children"], confirmed_at__isnull=False
        ).count(),
        "guardian_consents": Consent.objects.filter(
            subject_id__in=data["children"], status=Consent.Status.GIVEN
        ).count(),
        "guardians_with_password": sum(
            g.guardian.has_usable_password()
            for g in Guardianship.objects.filter(child_id__in=data["children"])
        ),
        "task_statuses": dict(Counter(tasks.values_list("status", flat=True))),
        "emails_done": tasks.filter(
            task_path="ungkultur.core.tasks.send_email", status="SUCCESSFUL"
        ).count(),
        "task_errors": [
            f"{t.task_path}: {t.exception_class_path}" for t in tasks.filter(status="FAILED")
        ],
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ungkultur.settings")
    import django

    django.setup()
    command, path = sys.argv[1], sys.argv[2]
    if command == "setup":
        setup(path)
    else:
        print(json.dumps(check(path)))


if __name__ == "__main__":
    main()
