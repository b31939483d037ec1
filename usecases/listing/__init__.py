"""The catalogue engine: every list of published cases goes through it (docs/catalogue.md).

- `criteria.py`: each filter declared once (form field, SQL filter, index values, facet);
- `index.py`: the published catalogue as bit sets, per catalogue version, shared between
  processes through the cache;
- `listing.py`: `Listing`, one request's list: validation, counts, facets, pages, rows.
"""

from .criteria import CRITERIA, Criterion
from .index import current_index, forget_index
from .listing import PARAMETERS, Listing, Sort

__all__ = [
    "CRITERIA",
    "PARAMETERS",
    "Criterion",
    "Listing",
    "Sort",
    "current_index",
    "forget_index",
]
