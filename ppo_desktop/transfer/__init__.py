"""Moving cases between laptops: the encrypted transfer pack."""
