"""Local and compiled models: pack, plan and upload a local model; download and safely
extract a compiled one; the names artifacts get."""
