from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A national owner organisation: Norsk kulturskoleråd, Ungdom og Fritid, UKM Norge."""

    name = models.CharField(_("navn"), max_length=200)
    short_name = models.CharField(_("kortnavn"), max_length=30)
    slug = models.SlugField(unique=True)
    website = models.URLField(_("nettsted"), blank=True)

    class Meta:
        verbose_name = _("nasjonal organisasjon")
        verbose_name_plural = _("nasjonale organisasjoner")
        ordering = ["name"]

    def __str__(self):
        return self.name


class MembershipPeriodQuerySet(models.QuerySet):
    def active_on(self, day):
        """Periods are [start, end): active on ``day`` if start <= day < end."""
        return self.filter(Q(end__isnull=True) | Q(end__gt=day), start__lte=day)


class NationalRole(models.Model):
    """A role above any one municipality."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("nasjonal administrator")
        COORDINATOR = "coordinator", _("nasjonal koordinator")
        RESEARCHER = "researcher", _("forsker")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="national_roles"
    )
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisasjon"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    start = models.DateField(_("fra"))
    end = models.DateField(_("til"), null=True, blank=True)

    objects = MembershipPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("nasjonal rolle")
        verbose_name_plural = _("nasjonale roller")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "start"], name="nationalrole_unique"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="nationalrole_period_order",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_role_display()}"


class Unit(models.Model):
    """A local unit that offers something to youth: a kulturskole, a youth club, UKM, a partner."""

    class Kind(models.TextChoices):
        KULTURSKOLE = "kulturskole", _("kulturskole")
        YOUTH_CLUB = "youth_club", _("fritidsklubb")
        UKM = "ukm", _("UKM")
        LIBRARY = "library", _("bibliotek")
        ART_ASSOCIATION = "art_association", _("kunstforening")
        VOLUNTEER = "volunteer", _("frivillig lag eller forening")
        OTHER = "other", _("annen samarbeidspartner")

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="units"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("navn"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("nasjonal organisasjon"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    description = models.TextField(_("beskrivelse"), blank=True)
    website = models.URLField(_("nettsted"), blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    # A closed unit keeps its history (offers, enrolments, indicators) but is no longer listed.
    closed_on = models.DateField(_("lagt ned"), null=True, blank=True)

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "municipality",
                name="unit_name_unique_in_municipality",
                # Said where the model is validated (the Django admin); services say it first.
                violation_error_message=_("Kommunen har allerede en enhet med dette navnet."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_closed(self):
        return self.closed_on is not None

    @property
    def is_partner(self):
        return self.kind not in (self.Kind.KULTURSKOLE, self.Kind.YOUTH_CLUB, self.Kind.UKM)


class UnitStaff(models.Model):
    """A person working in a unit, with a role and a term."""

    class Role(models.TextChoices):
        RECTOR = "rector", _("rektor")
        TEACHER = "teacher", _("lærer")
        CLUB_LEADER = "club_leader", _("klubbleder")
        YOUTH_WORKER = "youth_worker", _("ungdomsarbeider")
        UKM_CONTACT = "ukm_contact", _("UKM-kontakt")
        LEADER = "leader", _("leder")
        STAFF = "staff", _("ansatt")

    # Who leads the unit: runs its offers, re-registration rounds, imports and cancellations.
    # Teachers and youth workers take attendance and see the groups they work with (docs/privacy.md:
    # a teacher is not a rector).
    LEADER_ROLES = (Role.RECTOR, Role.CLUB_LEADER, Role.UKM_CONTACT, Role.LEADER)

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_roles"
    )
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    start = models.DateField(_("fra"))
    end = models.DateField(_("til"), null=True, blank=True)

    objects = MembershipPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("ansatt i enhet")
        verbose_name_plural = _("ansatte i enheter")
        constraints = [
            models.UniqueConstraint(fields=["unit", "user", "start"], name="unitstaff_unique"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="unitstaff_period_order",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_role_display()}, {self.unit}"


class Group(models.Model):
    """A body of the KK organisation, national or in one municipality (see the seed)."""

    class Kind(models.TextChoices):
        STEERING_GROUP = "steering_group", _("styringsgruppe")
        REFERENCE_GROUP = "reference_group", _("nasjonal referansegruppe")
        PROJECT_LEADER_FORUM = "project_leader_forum", _("prosjektlederforum")
        PROJECT_LEADER_GROUP = "project_leader_group", _("prosjektledergruppe")
        LOCAL_PROJECT_GROUP = "local_project_group", _("lokal prosjektgruppe")
        YOUTH_RESOURCE_GROUP = "youth_resource_group", _("ressursgruppe ungdom")

    LOCAL_KINDS = (Kind.LOCAL_PROJECT_GROUP, Kind.YOUTH_RESOURCE_GROUP)

    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("kommune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="groups",
    )
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    seats = models.PositiveSmallIntegerField(_("antall plasser"), null=True, blank=True)

    class Meta:
        verbose_name = _("gruppe")
        verbose_name_plural = _("grupper")
        ordering = ["municipality__name", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["local_project_group", "youth_resource_group"])
                    & Q(municipality__isnull=False)
                )
                | (
                    ~Q(kind__in=["local_project_group", "youth_resource_group"])
                    & Q(municipality__isnull=True)
                ),
                name="group_scope_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "municipality"],
                condition=Q(municipality__isnull=False),
                name="group_one_of_each_kind_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(municipality__isnull=True),
                name="group_one_of_each_national_kind",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_national(self):
        return self.municipality_id is None


class Membership(models.Model):
    """A person's seat in a group, with a role and a term [start, end)."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("leder")
        DIRECTOR = "director", _("representant for eierorganisasjon")
        MAIN_PROJECT_LEADER = "main_project_leader", _("hovedprosjektleder")
        NATIONAL_COORDINATOR = "national_coordinator", _("nasjonal koordinator")
        PROJECT_LEADER = "project_leader", _("prosjektleder")
        CULTURE_CHIEF = "culture_chief", _("kultursjef")
        KULTURSKOLE_RECTOR = "kulturskole_rector", _("kulturskolerektor")
        CLUB_LEADER = "club_leader", _("leder for fritidsklubb")
        UKM_CONTACT = "ukm_contact", _("UKM-ansvarlig")
        ADVISER = "adviser", _("rådgiver")
        MEMBER = "member", _("medlem")
        YOUTH_MEMBER = "youth_member", _("ungdomsmedlem")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rolle"), max_length=30, choices=Role.choices)
    start = models.DateField(_("fra"))
    end = models.DateField(_("til"), null=True, blank=True)

    objects = MembershipPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        ordering = ["group", "role", "start"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user", "start"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="membership_period_order",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_role_display()}, {self.group}"

    @property
    def is_youth(self):
        return self.role == self.Role.YOUTH_MEMBER


class Invitation(models.Model):
    """An invitation by e-mail to a seat in a group or a role in a unit of one municipality.

    The link is signed and names the invitation and how many times it was sent, so a resend
    makes the earlier links useless; it expires at ``expires_at``. Accepting makes the account
    (if the e-mail has none) and the membership or unit role; revoking or accepting ends it.
    See ungkultur/organisations/invitations.py.
    """

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("kommune"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-post"))
    first_name = models.CharField(_("fornavn"), max_length=100, blank=True)
    last_name = models.CharField(_("etternavn"), max_length=100, blank=True)
    group = models.ForeignKey(
        Group,
        verbose_name=_("gruppe"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    membership_role = models.CharField(
        _("rolle i gruppen"), max_length=30, choices=Membership.Role.choices, blank=True
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("enhet"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    unit_role = models.CharField(
        _("rolle i enheten"), max_length=20, choices=UnitStaff.Role.choices, blank=True
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invitert av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opprettet"))
    sent_at = models.DateTimeField(_("sist sendt"))
    send_count = models.PositiveSmallIntegerField(_("antall ganger sendt"), default=1)
    expires_at = models.DateTimeField(_("utløper"))
    accepted_at = models.DateTimeField(_("godtatt"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("godtatt av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitasjon")
        verbose_name_plural = _("invitasjoner")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(group__isnull=False) & Q(unit__isnull=True) & ~Q(membership_role=""))
                | (Q(group__isnull=True) & Q(unit__isnull=False) & ~Q(unit_role="")),
                name="invitation_group_or_unit",
            ),
        ]

    def __str__(self):
        # No e-mail address: the audit log keeps this text, and youth are invited too.
        return f"{self.get_role_display()}, {self.group or self.unit}"

    @property
    def target(self):
        return self.group or self.unit

    def get_role_display(self):
        if self.group_id:
            return self.get_membership_role_display()
        return self.get_unit_role_display()

    @property
    def is_open(self):
        return self.accepted_at is None and self.revoked_at is None
