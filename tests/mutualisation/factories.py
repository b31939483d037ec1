import factory

from tests.factories import CollectiviteFactory, UseCaseFactory
from usecases.mutualisation.models import ReuseDeclaration, Solution


class SolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Solution
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Solution {n}")
    slug = factory.Sequence(lambda n: f"solution-{n}")
    publisher = "Éditeur"

    @factory.post_generation
    def cases(self, create, extracted, **kwargs):
        if create and extracted:
            self.use_cases.add(*extracted)


class DeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReuseDeclaration

    use_case = factory.SubFactory(UseCaseFactory, published=True)
    collectivite = factory.SubFactory(CollectiviteFactory)
    kind = "adopted"
    year = 2025
