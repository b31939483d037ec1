"""Every page the accessibility and sobriety gates visit, for the tests and bin/measure-pages.py."""

from dataclasses import dataclass

from .dataset import Catalogue


@dataclass(frozen=True)
class SitePage:
    id: str
    name: str  # French, as shown on /ecoconception/
    path_template: str  # formatted with the Catalogue's fields
    status: int = 200

    def path(self, catalogue: Catalogue):
        return self.path_template.format(**catalogue.__dict__)


SERVER_ERROR_PATH = "/test-erreur-500/"

PAGES = [
    SitePage("home", "Accueil", "/"),
    SitePage("list", "Cas d’usage", "/cas-d-usage/"),
    SitePage(
        "list-filtered",
        "Cas d’usage filtrés (thème, stade, recherche)",
        "/cas-d-usage/?theme=mobilites&theme=transition-ecologique-et-energetique"
        "&stade=experiment&q=donn%C3%A9es",
    ),
    SitePage("list-empty", "Cas d’usage sans résultat", "/cas-d-usage/?q=zzzyxw"),
    SitePage("list-page-2", "Cas d’usage, page 2", "/cas-d-usage/?page=2"),
    SitePage("list-compare", "Cas d’usage, choix des cas à comparer", "/cas-d-usage/?comparer=1"),
    SitePage("sheet", "Fiche complète (5 ressources)", "/cas-d-usage/{showcase_slug}/"),
    SitePage("sheet-history", "Historique d’une fiche", "/cas-d-usage/{showcase_slug}/historique/"),
    SitePage("theme", "Thème", "/themes/{theme_slug}/"),
    SitePage("map", "Carte par département", "/carte/"),
    SitePage("collectivites", "Collectivités", "/collectivites/"),
    SitePage("collectivite", "Une collectivité", "/collectivites/{collectivite_slug}/"),
    SitePage(
        "collectivite-no-case",
        "Une collectivité sans cas d’usage",
        "/collectivites/{quiet_collectivite_slug}/",
    ),
    SitePage("statistics", "Statistiques", "/statistiques/"),
    SitePage("solutions", "Solutions", "/solutions/"),
    SitePage("solution", "Une solution", "/solutions/{solution_slug}/"),
    SitePage("compare", "Comparer trois cas d’usage", "/comparer/?{compare_query}"),
    SitePage("resources", "Ressources des projets", "/ressources/"),
    SitePage("observatory", "Observatoire des dépendances", "/statistiques/dependances/"),
    SitePage("accessibility", "Accessibilité", "/accessibilite/"),
    SitePage("legal", "Mentions légales", "/mentions-legales/"),
    SitePage("privacy", "Données personnelles", "/donnees-personnelles/"),
    SitePage("site-map", "Plan du site", "/plan-du-site/"),
    SitePage("contact", "Contact", "/contact/"),
    SitePage("about", "À propos", "/a-propos/"),
    SitePage("ecodesign", "Écoconception", "/ecoconception/"),
    SitePage("opendata", "Données ouvertes", "/donnees/"),
    SitePage("api", "API", "/api/"),
    SitePage(
        "alert-subscribe",
        "Recevoir les nouveaux cas par e-mail",
        "/alertes/?theme={theme_slug}&q=fuites",
    ),
    SitePage("alert-requested", "Alerte demandée", "/alertes/demande-envoyee/"),
    SitePage("alert-confirm", "Confirmer une alerte", "/alertes/confirmer/{pending_alert_key}/"),
    SitePage("alert-manage", "Gérer ses alertes", "/alertes/gerer/{alert_key}/"),
    SitePage("alert-unsubscribe", "Se désabonner", "/alertes/desabonnement/{alert_key}/"),
    SitePage("widget-builder", "Intégrer sur son site", "/integrer/?theme={theme_slug}"),
    SitePage("not-found", "Page introuvable (404)", "/page-qui-n-existe-pas/", status=404),
    SitePage("server-error", "Erreur du serveur (500)", SERVER_ERROR_PATH, status=500),
]
# Contribution and account pages, logged out and logged in, are gated in test_contribution.py.
