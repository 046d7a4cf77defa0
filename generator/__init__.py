"""Générateur de la base de ressources sociales : load → models → catalog → render / export."""
