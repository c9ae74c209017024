"""The seam between channels and whatever acts on a message (the hotline): a registry of handlers.

Channels never imports the hotline. An app registers its handler in its AppConfig.ready(); the processing
task calls every handler with the stored `InboundEvent`, in order per sender, inside the transaction that
marks the event processed, so a failing handler leaves the event to be processed again.
"""

from __future__ import annotations

from collections.abc import Callable

from haven.channels.models import InboundEvent

InboundHandler = Callable[[InboundEvent], None]

_HANDLERS: list[InboundHandler] = []


def register_inbound_handler(handler: InboundHandler) -> InboundHandler:
    """Add a handler once (a second ready() changes nothing); usable as a decorator."""
    if handler not in _HANDLERS:
        _HANDLERS.append(handler)
    return handler


def unregister_inbound_handler(handler: InboundHandler) -> None:
    if handler in _HANDLERS:
        _HANDLERS.remove(handler)


def dispatch(event: InboundEvent) -> None:
    for handler in list(_HANDLERS):
        handler(event)
