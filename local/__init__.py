"""The laptop runtime: serves template.yaml's routes against an embedded moto. Never deployed."""
