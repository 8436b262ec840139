"""Learning centre (学习中心): question bank, exams (fixed or random papers), assignments. See README.md."""
