"""The good-practice library: practice records, workflow, versions, facets, adoption, showcase."""
