"""Registry factories whose documents are real files: a tiny valid PDF written to the
(temporary) media root, for the download views."""

import io

import factory
from pypdf import PdfWriter

from accounts.tests.factories import DecreeFactory, SopFactory


def pdf_bytes() -> bytes:
    """A valid one-page PDF of a few hundred bytes."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = pdf_bytes()


class DecreeWithFileFactory(DecreeFactory):
    document = factory.django.FileField(filename="sk.pdf", data=PDF)


class SopWithFileFactory(SopFactory):
    document = factory.django.FileField(filename="sop.pdf", data=PDF)
