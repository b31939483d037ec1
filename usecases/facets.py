"""Facet counts: for each option of each criterion, how many results choosing it would give.

Each criterion is counted over the results filtered by every *other* criterion, so that the
counts of a criterion's options stay meaningful while one of them is selected. All criteria,
and the number of results, are counted in one query (see count_rows).
"""

import hashlib
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from collectivites.choices import Kind

from .choices import BuildMode, Hosting, Stage
from .models import UseCase
from .pagecache import per_catalogue_version

# criterion -> (grouped expression, label expression or None)
FACET_SOURCES = {
    "theme": ("theme__slug", None),
    "region": ("collectivite__region__code", None),
    "departement": ("collectivite__departement__code", None),
    "type": ("collectivite__kind", None),
    "stade": ("stage", None),
    "technique": ("techniques__slug", None),
    "hebergement": ("hosting", None),
    "realisation": ("build_mode", None),
    "mot_cle": ("tags__slug", "tags__name"),
    "annee": ("start_year", None),
}
STATIC_CHOICES = {
    "type": Kind.choices,
    "stade": Stage.choices,
    "hebergement": Hosting.choices,
    "realisation": BuildMode.choices,
}
# Small, fixed vocabularies are listed in full (with zeros); the others only where non-zero.
SHOW_ZERO = {"theme", "type", "stade", "technique", "hebergement", "realisation"}
# The most used tags only: each option weighs on every list page (EcoIndex grade A, issue #5).
MAX_TAGS = 12


class FacetList(list):
    """The facets, with `total`: the number of results they were counted over."""

    total = 0


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    name: str
    label: str
    options: list = field(default_factory=list)
    multiple: bool = True

    @property
    def selected(self):
        return [option for option in self.options if option.selected]


# Criteria counted from columns of the result rows (the others go through a join table).
SCALAR_FACETS = [name for name in FACET_SOURCES if name not in ("technique", "mot_cle")]
M2M_FACET_SQL = {
    "technique": (
        "SELECT 'technique', t.slug, '', COUNT(*) FROM {base} b "
        "JOIN usecases_usecase_techniques ut ON ut.usecase_id = b.id "
        "JOIN usecases_technique t ON t.id = ut.technique_id GROUP BY t.slug"
    ),
    # Grouped by tag id first, then joined to the ~300 tags for their slug and name.
    "mot_cle": (
        "SELECT 'mot_cle', tg.slug, tg.name, c.n FROM ("
        "SELECT ti.tag_id, COUNT(*) AS n FROM {base} b "
        "JOIN taggit_taggeditem ti ON ti.object_id = b.id AND ti.content_type_id = %s "
        "GROUP BY ti.tag_id) c JOIN taggit_tag tg ON tg.id = c.tag_id"
    ),
}


def _active(filterset):
    return [name for name in FACET_SOURCES if _selected_values(filterset, name)]


# What the base CTEs hold per row: narrow columns of the use case table only (ids rather than
# slugs, no join), so that 100,000 rows stay small and come from an index-only scan.
CTE_COLUMNS = {
    "theme": "theme_id",
    "collectivite": "collectivite_id",
    "stade": "stage",
    "hebergement": "hosting",
    "realisation": "build_mode",
    "annee": "start_year",
}
# Criteria read on the lead collectivité: counted per collectivité first, then joined.
COLLECTIVITE_FACETS = {
    "type": "c.kind",
    "region": "r.code",
    "departement": "d.code",
}


def _base_cte(alias, queryset):
    """`alias AS MATERIALIZED (…)`: ids and facet columns of the queryset's rows."""
    columns = ["pk", *CTE_COLUMNS.values()]
    sql, params = queryset.order_by().values_list(*columns).query.sql_with_params()
    names = ", ".join(["id", *CTE_COLUMNS])
    return f"{alias}({names}) AS MATERIALIZED ({sql})", list(params)


def _grouped(source, columns, sum_of=None):
    """(criterion, value, n) rows: `columns` is {criterion: expression}, each grouped alone.

    One pass with GROUPING SETS on PostgreSQL, a UNION of GROUP BY elsewhere. `sum_of` adds up
    a count column instead of counting rows.
    """
    count = f"CAST(SUM({sum_of}) AS bigint)" if sum_of else "COUNT(*)"
    names, expressions = list(columns), list(columns.values())
    if connection.vendor == "postgresql":
        width = len(names)
        masks = " ".join(
            f"WHEN {((1 << width) - 1) ^ (1 << (width - 1 - i))} THEN '{name}'"
            for i, name in enumerate(names)
        )
        values = ", ".join(f"CAST({expression} AS text)" for expression in expressions)
        return (
            f"SELECT CASE GROUPING({', '.join(expressions)}) {masks} END AS facet, "
            f"COALESCE({values}) AS value, {count} AS n FROM {source} "
            f"GROUP BY GROUPING SETS ({', '.join(f'({e})' for e in expressions)})"
        )
    return " UNION ALL ".join(
        f"SELECT '{name}' AS facet, CAST({expression} AS text) AS value, {count} AS n "
        f"FROM {source} GROUP BY {expression}"
        for name, expression in columns.items()
    )


def _scalar_sql(alias, names):
    """The counts of the criteria read on the case and on its lead collectivité."""
    parts = []
    own = {name: name for name in names if name in CTE_COLUMNS}
    if own:
        parts.append(
            "SELECT g.facet, COALESCE(th.slug, g.value), '', g.n "
            f"FROM ({_grouped(alias, own)}) g LEFT JOIN usecases_theme th "
            "ON g.facet = 'theme' AND CAST(th.id AS text) = g.value"
        )
    lead = {name: COLLECTIVITE_FACETS[name] for name in names if name in COLLECTIVITE_FACETS}
    if lead:
        # Tens of thousands of cases share a few thousand collectivités: join those only.
        source = (
            f"(SELECT collectivite, COUNT(*) AS n FROM {alias} GROUP BY collectivite) g "
            "JOIN collectivites_collectivite c ON c.id = g.collectivite "
            "LEFT JOIN collectivites_region r ON r.id = c.region_id "
            "LEFT JOIN collectivites_departement d ON d.id = c.departement_id"
        )
        parts.append(f"SELECT facet, value, '', n FROM ({_grouped(source, lead, 'g.n')}) x")
    return parts, []


def _parts_for(alias, names):
    parts, params = _scalar_sql(alias, [name for name in names if name in SCALAR_FACETS])
    for name in names:
        if name in M2M_FACET_SQL:
            parts.append(M2M_FACET_SQL[name].format(base=alias))
            if name == "mot_cle":
                params.append(ContentType.objects.get_for_model(UseCase).pk)
    return parts, params


def _query(bases):
    """One SQL statement: a materialised CTE per base set, then every count over them.

    `bases` is [(queryset, criteria counted over it, with the total or not)].
    """
    ctes, parts, params, part_params = [], [], [], []
    for index, (queryset, names, total) in enumerate(bases):
        alias = f"base{index}"
        cte, cte_params = _base_cte(alias, queryset)
        ctes.append(cte)
        params.extend(cte_params)
        if total:
            parts.append(f"SELECT 'total', NULL, '', COUNT(*) FROM {alias}")
        more, more_params = _parts_for(alias, names)
        parts.extend(more)
        part_params.extend(more_params)
    # The CTEs come first in the statement, then the counts.
    params.extend(part_params)
    sql = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(parts)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _tune(cursor)
        cursor.execute(sql, params)
        return cursor.fetchall()


def _tune(cursor):
    """Planner settings for this statement only (set_config(…, true) is SET LOCAL).

    The CTEs of up to 100,000 rows fit in memory. Hash joins are off: counting techniques or
    tags over tens of thousands of cases by index-only lookups in the join tables takes half
    the time of hashing those tables whole, which the planner otherwise prefers (measured in
    bench/results). Searching is left to the planner: forcing the GIN index helps a word found
    in every case but ruins the joins and the rare words.
    """
    cursor.execute(
        "SELECT set_config('work_mem', '32MB', true), set_config('enable_hashjoin', 'off', true)"
    )


def count_rows(filterset, skip=()):
    """(criterion, value, label, count) rows, plus ("total", None, "", result count).

    Criteria not in use are counted over the results; each criterion in use over the results
    without it. Each distinct result set is computed once, in a materialised CTE, and all the
    counts come from ONE query. Without criteria nor search, the counts depend only on the
    catalogue: they are computed once per catalogue version (usecases.pagecache).
    """
    wanted = [name for name in FACET_SOURCES if name not in skip]
    active = _active(filterset)
    searching = bool(filterset.form.cleaned_data.get("q", "").strip())
    if not active and not searching:
        return _unfiltered_rows(filterset.queryset, wanted)
    rows = []
    bases = [(filterset.queryset_without(None), [n for n in wanted if n not in active], True)]
    for name in active:
        if name not in wanted:
            continue
        if len(active) == 1 and not searching:
            # Without its own criterion the list is unfiltered: reuse those counts.
            unfiltered = _unfiltered_rows(filterset.queryset, wanted)
            rows.extend(row for row in unfiltered if row[0] == name)
        else:
            bases.append((filterset.queryset_without(name), [name], False))
    return rows + _query(bases)


def _unfiltered_rows(queryset, wanted):
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    digest = hashlib.sha256(repr((sql, params, wanted)).encode()).hexdigest()
    return per_catalogue_version(f"facets:{digest}", lambda: _query([(queryset, wanted, True)]))


def _selected_values(filterset, name):
    value = filterset.form.cleaned_data.get(name)
    if value in (None, ""):
        return set()
    if isinstance(value, list | tuple):
        return {str(item) for item in value}
    return {str(value)}


def build_facets(filterset, skip=()):
    """The facets of a valid filterset, as Facet objects ready for the template.

    Criteria in `skip` are neither counted nor returned. The result count rides along: it is
    `facets.total` (a FacetList), so the list needs no COUNT query of its own.
    """
    counts = {name: {} for name in FACET_SOURCES}
    labels = {}
    total = 0
    for name, value, label, count in count_rows(filterset, skip):
        if name == "total":
            total = count
            continue
        if value is None:
            continue
        counts[name][value] = count
        if label:
            labels[(name, value)] = label
    facets = FacetList()
    facets.total = total
    for name in FACET_SOURCES:
        if name in skip:
            continue
        selected = _selected_values(filterset, name)
        filter_ = filterset.filters[name]
        if name in STATIC_CHOICES:
            choices = STATIC_CHOICES[name]
        elif name in filterset.reference:
            choices = filterset.reference[name]
        elif name == "annee":
            choices = [(year, year) for year in sorted(counts[name], reverse=True)]
        else:
            ranked = sorted(counts[name].items(), key=lambda item: (-item[1], item[0]))
            keep = {value for value, _count in ranked[:MAX_TAGS]} | selected
            choices = sorted(
                ((value, labels.get((name, value), value)) for value in keep),
                key=lambda choice: choice[1].lower(),
            )
        options = []
        for value, label in choices:
            value = str(value)
            count = counts[name].get(value, 0)
            if count or name in SHOW_ZERO or value in selected:
                options.append(FacetOption(value, str(label), count, value in selected))
        facets.append(
            Facet(
                name=name,
                label=str(filter_.label),
                options=options,
                multiple=name not in ("region", "departement", "annee"),
            )
        )
    return facets
