"""Access rules, declared on every view. The middleware denies any view that has none.

A rule says who may use a view: anyone (`public`), anyone signed in with a second factor
(`signed_in`), or named roles (`roles(...)`). Views reachable before the second factor is given
(the two-factor steps themselves) say so with `before_second_factor`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

ACCESS_ATTRIBUTE = "access_rule"


@dataclass(frozen=True)
class AccessRule:
    public: bool = False
    before_second_factor: bool = False
    roles: frozenset[str] | None = None  # None: any signed-in role

    def allows_role(self, role: str) -> bool:
        return self.public or self.roles is None or role in self.roles

    def describe(self) -> str:
        if self.public:
            return "public"
        if self.roles is None:
            return "any signed-in user"
        return ", ".join(sorted(self.roles))


def _mark(rule: AccessRule) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        setattr(view, ACCESS_ATTRIBUTE, rule)
        return view

    return decorator


def public(view: F) -> F:
    return _mark(AccessRule(public=True))(view)


def signed_in(view: F) -> F:
    return _mark(AccessRule())(view)


def before_second_factor(view: F) -> F:
    return _mark(AccessRule(before_second_factor=True))(view)


def roles(*allowed: str | Iterable[str]) -> Callable[[F], F]:
    names: set[str] = set()
    for item in allowed:
        names.update([item] if isinstance(item, str) else item)
    if not names:
        raise ValueError("roles() needs at least one role; use signed_in for any role.")
    return _mark(AccessRule(roles=frozenset(names)))


def rule_for(view_func: Callable[..., Any]) -> AccessRule | None:
    rule = getattr(view_func, ACCESS_ATTRIBUTE, None)
    if rule is None:
        view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
        rule = getattr(view_class, ACCESS_ATTRIBUTE, None)
    return rule
