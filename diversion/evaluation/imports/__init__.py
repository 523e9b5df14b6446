"""The CSV imports, one module per data set; `IMPORTERS` names them for the command."""

from __future__ import annotations

from diversion.evaluation.imports.base import Importer, ImportResult, import_file
from diversion.evaluation.imports.offences import OffencesImporter
from diversion.evaluation.imports.outcomes import OutcomesImporter
from diversion.evaluation.imports.population import PopulationImporter
from diversion.evaluation.imports.stop_searches import StopSearchesImporter
from diversion.evaluation.imports.unit_costs import UnitCostsImporter

IMPORTERS: dict[str, type[Importer]] = {
    importer.kind: importer
    for importer in (
        OffencesImporter,
        OutcomesImporter,
        StopSearchesImporter,
        PopulationImporter,
        UnitCostsImporter,
    )
}

__all__ = ["IMPORTERS", "ImportResult", "Importer", "import_file"]
