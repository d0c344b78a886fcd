"""Models of annual reports and evaluations arrive with the reports issue."""
