"""The production configuration: the real commands and processes an operator runs."""
