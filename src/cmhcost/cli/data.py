"""The data-file commands: check services files, and print the JSON Schemas of the YAML files."""

from pathlib import Path
from typing import Annotated

import typer

from cmhcost.cli.exits import note, reported
from cmhcost.cli.files import services_paths
from cmhcost.cli.options import RatesOption
from cmhcost.domain.choices import SchemaName
from cmhcost.report.delivery import to_stdout


@reported
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Services files to check. Default: the shipped data."),
    ] = None,
    rates: RatesOption = None,
    sources: Annotated[
        Path | None,
        typer.Option(
            "--sources", help="Folder of the source documents: check every quote against them."
        ),
    ] = None,
) -> None:
    """Check services files: schema, cross-references, rates and (optionally) quotes."""
    from cmhcost.loading.validation import validate as check_all

    paths = services_paths(files)
    found = check_all(paths, rates or (), sources)
    places = ", ".join(map(str, paths))
    note(f"ok: {found.records} records, {found.figures} figures in {places}")


@reported
def schema(
    which: Annotated[SchemaName, typer.Argument(help="Which file's schema.")] = SchemaName.SERVICES,
) -> None:
    """Print the JSON Schema of the services or rates YAML files (for editors)."""
    from cmhcost.schema.json_schema import json_schema

    to_stdout([json_schema(which)])


@reported
def paths() -> None:
    """Print where the shipped data, the examples and your own data are, and their names."""
    from cmhcost.loading.paths import (
        EXAMPLES,
        SHIPPED_FILES,
        SHIPPED_PREFIX,
        resolve,
        shipped_examples,
        user_data_dir,
    )

    names = [*SHIPPED_FILES, *(EXAMPLES + name for name in shipped_examples())]
    lines = [f"{SHIPPED_PREFIX}{name}\t{resolve(Path(SHIPPED_PREFIX + name))}" for name in names]
    lines.append(f"user data directory\t{user_data_dir()}")
    for name in ("exchange_rates.yaml", "cpi.csv", "ppp.csv", "deflator.csv"):
        if (user_data_dir() / name).exists():  # `rates add`, `rates update`, `prices update`
            lines.append(f"user {name}\t{user_data_dir() / name}")
    to_stdout(["\n".join(lines) + "\n"])
