"""One class per API resource; each method builds a request and names its model."""
