"""JSON Schemas of the YAML files, generated from the models, for editors and other tools."""

from __future__ import annotations

import json

from cmhcost.domain.choices import SchemaName
from cmhcost.schema.rates import RatesFile
from cmhcost.schema.services import ServicesFile


def json_schema(which: SchemaName) -> str:
    """The JSON Schema of one kind of file, as stable, indented JSON."""
    model = ServicesFile if which is SchemaName.SERVICES else RatesFile
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
