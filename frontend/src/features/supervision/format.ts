// How indicator values read on the pages: they arrive with four decimals (the API keeps them for
// exports and further computation); two are enough to compare units or read against a threshold.
export const shown = (value: number): number => Number(value.toFixed(2));
