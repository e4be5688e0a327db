"""InfoPass: appointments at the local USCIS field office (chapter B.1)."""
