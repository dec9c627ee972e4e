"""Our company as the documents we hand customers name it (the quotation; the invoice's exporter)."""

from __future__ import annotations

from dataclasses import dataclass

from gendan_xl.model.settings import Settings


@dataclass(frozen=True)
class Company:
    """Our company as the documents we hand out name it (the Settings' ``company_*``)."""

    name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> Company:
        return cls(settings.company_name, settings.company_address, settings.company_phone, settings.company_email)
