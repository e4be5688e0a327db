"""Staff tool for Service Requests: list, show, update status or note, relocate.

    python -m rasa_project.service_requests.staff list [--office KEY] [--status STATUS]
    python -m rasa_project.service_requests.staff show SR7K3M9Q2XA
    python -m rasa_project.service_requests.staff update SR7K3M9Q2XA --who jdoe \
        --status responded --note "..."
    python -m rasa_project.service_requests.staff relocate SR7K3M9Q2XA --who jdoe --office texas

Uses REDIS_URL; `python -m ops.staff_tools service-requests ...` runs it against this machine's
stack (its Redis and password). Every change is written to the audit trail with who made it and
when; the customer's next check in chat shows it.
"""

from __future__ import annotations

import argparse
import sys

from rasa_project import settings
from rasa_project.directory.loader import default_directory
from rasa_project.service_requests.routing import known_offices
from rasa_project.service_requests.store import STATUSES, ServiceRequestStore, UnknownReference


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="staff", description="Service Request staff tool")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list")
    listing.add_argument("--office")
    listing.add_argument("--status", choices=STATUSES)
    show = commands.add_parser("show")
    show.add_argument("reference")
    update = commands.add_parser("update")
    update.add_argument("reference")
    update.add_argument("--who", required=True)
    update.add_argument("--status", choices=STATUSES)
    update.add_argument("--note")
    relocate = commands.add_parser("relocate")
    relocate.add_argument("reference")
    relocate.add_argument("--who", required=True)
    relocate.add_argument("--office", required=True)
    return parser


def main(argv: list[str], store: ServiceRequestStore | None = None) -> int:
    args = build_parser().parse_args(argv)
    store = store or ServiceRequestStore.from_url(settings.redis_url())
    try:
        if args.command == "list":
            for request in store.list(office=args.office, status=args.status):
                print(f"{request.reference}  {request.status:11}  {request.office_key:24}  "
                      f"{request.kind:12}  {request.created_at}")
        elif args.command == "show":
            request = store.get(args.reference)
            if request is None:
                raise UnknownReference(args.reference)
            for name, value in vars(request).items():
                if name != "identity_hash":
                    print(f"{name:20} {value}")
            for entry in store.audit(request.reference):
                print(f"audit  {entry}")
        elif args.command == "update":
            request = store.update(args.reference, args.who, status=args.status, note=args.note)
            print(f"{request.reference} is now {request.status}")
        elif args.command == "relocate":
            offices = known_offices(default_directory())
            if args.office not in offices:
                print(f"unknown office {args.office!r}; one of: {', '.join(offices)}",
                      file=sys.stderr)
                return 2
            request = store.update(args.reference, args.who, office=args.office)
            print(f"{request.reference} relocated to {request.office_key}")
    except UnknownReference as error:
        print(f"no Service Request {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
