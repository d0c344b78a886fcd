"""Annual reports (Pasal 15) and their evaluation by Diskominfo (Pasal 16)."""
