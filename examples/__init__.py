"""Example pilots shipped with cmhcost: `cmhcost paths` lists them, `init-pilot --from` copies one."""
