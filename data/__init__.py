"""The data cmhcost ships, edited here and mapped into the package as `cmhcost.data` by the build."""
