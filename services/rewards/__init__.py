"""Recognition: nominations, tangible rewards and their approval, grants, HR's export and the fairness view."""
