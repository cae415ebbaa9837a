"""The `ntkverify` command. Each subcommand lives in its own module and registers itself here."""
from __future__ import annotations

import sys

from verify.cli._common import Parser, UserError

SUBCOMMANDS = ("verify.cli._run", "verify.cli._list_show")
OPTIONAL_SUBCOMMANDS = ("verify.cli._check", "verify.cli._diff", "verify.cli._observables", "verify.cli._stability")


def _version_text() -> str:
    from verify._versions import versions

    v = versions()
    return (f"ntkverify {v['ntkverify']} (JAX {v['jax']}, jaxlib {v['jaxlib']}, SymPy {v['sympy']}, "
            f"mpmath {v['mpmath']}, NumPy {v['numpy']}, Python {v['python']})")


def build_parser() -> Parser:
    import importlib

    parser = Parser(prog="ntkverify", description="Verify claims of wide-network theory: symbolic, closed form, Monte Carlo.")
    parser.add_argument("--version", action="version", version=_version_text())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in SUBCOMMANDS:
        importlib.import_module(name).add(sub)
    for name in OPTIONAL_SUBCOMMANDS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(sys.argv[1:] if argv is None else argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"ntkverify: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:  # Interrupted (a run) carries the command that continues it
        resume = getattr(exc, "resume", None)
        print("ntkverify: interrupted" + (f"; finished claims are saved — continue with `{resume}`" if resume else ""),
              file=sys.stderr)
        return 130
