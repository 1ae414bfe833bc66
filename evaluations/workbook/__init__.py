"""The LKE workbook: reading it in, writing it out, and the LHE report."""
