import factory
from django.utils import timezone
from django.utils.text import slugify

from collectivites.choices import Kind
from collectivites.models import Collectivite, Departement, Region
from usecases.choices import BuildMode, Hosting, Stage, Status
from usecases.models import Resource, Technique, Theme, UseCase


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "53"
    name = "Bretagne"


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ["code"]

    code = "35"
    name = "Ille-et-Vilaine"
    region = factory.SubFactory(RegionFactory)


class CollectiviteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collectivite

    name = factory.Sequence(lambda n: f"Commune {n}")
    kind = Kind.COMMUNE
    code = factory.Sequence(lambda n: f"{35000 + n}")
    slug = factory.LazyAttribute(lambda o: f"{slugify(o.name)}-{o.code}")
    departement = factory.SubFactory(DepartementFactory)
    region = factory.LazyAttribute(lambda o: o.departement.region)
    population = 1000


def theme(slug="transition-ecologique-et-energetique"):
    """Themes come from the data migration."""
    return Theme.objects.get(slug=slug)


class UseCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UseCase
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(
            status=Status.PUBLISHED, published_at=factory.LazyFunction(timezone.now)
        )

    title = factory.Sequence(lambda n: f"Optimiser le service numéro {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "Un résumé court du projet."
    collectivite = factory.SubFactory(CollectiviteFactory)
    theme = factory.LazyFunction(theme)
    need = "Le besoin."
    solution = "La solution."
    stage = Stage.EXPERIMENT
    start_year = 2024
    build_mode = BuildMode.VENDOR
    hosting = Hosting.UNKNOWN
    status = Status.DRAFT

    @factory.post_generation
    def techniques(self, create, extracted, **kwargs):
        if create and extracted:
            self.techniques.set(Technique.objects.filter(slug__in=extracted))

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.partners.set(extracted)

    @factory.post_generation
    def index(self, create, extracted, **kwargs):
        if create:
            UseCase.objects.filter(pk=self.pk).refresh_search_index()


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    use_case = factory.SubFactory(UseCaseFactory)
    title = "Article de presse"
    kind = "article"
    url = "https://example.org/article"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"agent{n}@example.org")
    email = factory.LazyAttribute(lambda o: o.username)
    first_name = "Camille"
    last_name = "Martin"
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-solide-42")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            from allauth.account.models import EmailAddress

            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


def contributor(collectivite=None, **kwargs):
    """A verified contributor attached to a collectivité."""
    from accounts.models import ContributorProfile

    user = UserFactory(**kwargs)
    ContributorProfile.objects.create(user=user, collectivite=collectivite or CollectiviteFactory())
    return user


def moderator(**kwargs):
    from django.conf import settings
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=settings.MODERATORS_GROUP))
    return user
