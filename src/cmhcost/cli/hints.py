"""The options and commands that supply what a core message says is missing.

The core names no option of the command line: it says what is missing ("the target country", "rates
for that year"), and this module tells it, once at start-up, which option gives each.
"""

from datetime import date

from cmhcost.domain import errors

OPTIONS = {
    "source country": "--country",
    "target country": "--to-country",
    "PPP basis": "--basis ppp",
    "rates for that year": "--rates",
    "rates layer": "--rates",
    "source": "--source",
    "date": "--date",
    "replace it": "--replace",
    "rates file": "--rates-file",
}


def add_rate_command(currency: str, day: date) -> str:
    """The `cmhcost rates add` command that would record a missing rate."""
    per = "EUR" if currency == "USD" else "USD"
    return (
        f'add one with: cmhcost rates add RATE {currency} --per {per} --date {day} --source "..."'
    )


def install() -> None:
    """Let the core's messages name the options and commands of the command line."""
    errors.OPTION_NAMES.update(OPTIONS)
    if add_rate_command not in errors.RATE_REMEDIES:
        errors.RATE_REMEDIES.append(add_rate_command)
