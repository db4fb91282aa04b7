"""Recognition: nominations and the allowance, tangible rewards and their approval, grants and what people see
of them, HR's export and the fairness view."""
