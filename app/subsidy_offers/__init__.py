"""免申即享: the policy finds the person — offers of subsidies people and units now qualify for."""
