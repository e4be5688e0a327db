"""Staff accounts in Redis, passwords hashed with argon2id (argon2-cffi's defaults, RFC 9106).

    python -m rasa_project.staff.accounts add NAME --role agent|admin   (password prompted, or
                                                                         read from stdin)
    python -m rasa_project.staff.accounts remove NAME
    python -m rasa_project.staff.accounts list

Uses REDIS_URL; `python -m ops.staff_tools accounts ...` runs it against this machine's stack.
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from dataclasses import dataclass

import redis
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from rasa_project import settings

ROLES = ("agent", "admin")
PREFIX = "staff:account:"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")
MIN_PASSWORD_CHARS = 12
_HASHER = PasswordHasher()
# Verifying against this when the name is unknown costs the same time as a real check, so the
# response time does not tell which names exist.
_DUMMY_HASH = _HASHER.hash("not-a-real-password")


@dataclass(frozen=True)
class Account:
    name: str
    role: str

    def may(self, role: str) -> bool:
        """Admins may do everything agents may."""
        return self.role == "admin" or self.role == role


class AccountError(ValueError):
    pass


class AccountStore:
    def __init__(self, client: redis.Redis) -> None:
        self.redis = client

    def add(self, name: str, role: str, password: str) -> Account:
        if not NAME_PATTERN.match(name):
            raise AccountError("a name is 2-32 lowercase letters, digits, '.', '_' or '-'")
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        if len(password) < MIN_PASSWORD_CHARS:
            raise AccountError(f"a password has at least {MIN_PASSWORD_CHARS} characters")
        self.redis.hset(PREFIX + name, mapping={"role": role, "hash": _HASHER.hash(password)})
        return Account(name, role)

    def remove(self, name: str) -> bool:
        return bool(self.redis.delete(PREFIX + name))

    def list(self) -> list[Account]:
        names = sorted(key.removeprefix(PREFIX) for key in self.redis.scan_iter(PREFIX + "*"))
        return [account for account in map(self.get, names) if account]

    def get(self, name: str) -> Account | None:
        role = self.redis.hget(PREFIX + name, "role")
        return Account(name, role) if role in ROLES else None

    def verify(self, name: str, password: str) -> Account | None:
        stored = self.redis.hgetall(PREFIX + name) if NAME_PATTERN.match(name or "") else {}
        try:
            _HASHER.verify(stored.get("hash") or _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        if not stored:
            return None
        if _HASHER.check_needs_rehash(stored["hash"]):
            self.redis.hset(PREFIX + name, "hash", _HASHER.hash(password))
        return Account(name, stored["role"])


def read_password(stdin=sys.stdin) -> str:
    if stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise AccountError("the passwords differ")
        return first
    return stdin.readline().rstrip("\n")


def main(argv: list[str], store: AccountStore | None = None, stdin=sys.stdin) -> int:
    parser = argparse.ArgumentParser(prog="accounts", description="Staff console accounts")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="create an account or reset its password and role")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    commands.add_parser("remove").add_argument("name")
    commands.add_parser("list")
    args = parser.parse_args(argv)
    if store is None:
        store = AccountStore(redis.Redis.from_url(settings.redis_url(), decode_responses=True))
    try:
        if args.command == "add":
            account = store.add(args.name, args.role, read_password(stdin))
            print(f"{account.name}: {account.role}")
        elif args.command == "remove":
            if not store.remove(args.name):
                print(f"no account {args.name}", file=sys.stderr)
                return 1
        else:
            for account in store.list():
                print(f"{account.name}\t{account.role}")
    except AccountError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
