"""Errors to exit codes: cmhcost's errors become messages, anything else a bug-report line."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from cmhcost.domain.errors import CmhcostError, ExitStatus
from cmhcost.report.delivery import PipeClosed

state = {"debug": False}

F = TypeVar("F", bound=Callable[..., Any])


def reported(command: F) -> F:
    """Turn cmhcost's errors into messages and exit 1; anything else into a bug-report line."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except PipeClosed:
            raise typer.Exit(ExitStatus.SUCCESS) from None  # the reader has what it wanted
        except CmhcostError as exc:
            error(str(exc))
            raise typer.Exit(exc.exit_status) from None
        except (typer.BadParameter, typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence for users
            if state["debug"]:
                raise
            error(
                f"internal error ({type(exc).__name__}: {exc}). This is a bug in cmhcost; "
                "please report it with the command you ran (rerun with --debug for the traceback)."
            )
            raise typer.Exit(ExitStatus.INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def error(message: str) -> None:
    """Tell the user what went wrong, on standard error."""
    note(message)


def note(message: str) -> None:
    """Tell the user what was done (or a warning), on standard error; reports go to stdout."""
    sys.stderr.write(message.rstrip("\n") + "\n")
