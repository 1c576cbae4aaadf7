"""Taking an amount to another currency, unit or price basis: exchange rates through cross
rates, the price index and PPP adjustment, and unit algebra (per day, month, year).

Pure arithmetic on exact decimals, over tables it is given.
"""
