from cmhcost.cli import main

main()
