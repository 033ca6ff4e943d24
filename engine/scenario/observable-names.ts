// The names of the market observables (README "Observables"; computed by solvers/observables.ts),
// as plain data for the scenario schema's descriptions of sweep outputs and calibration targets.
// A test checks that every name here is an output of some market.

export const OBSERVABLE_NAMES = [
  "taskTokens",
  "fineTuningTokens",
  "leaderTaskTokens",
  "fringeTaskTokens",
  "leaderFineTuningTokens",
  "fringeFineTuningTokens",
  "leaderTokenShare",
  "fringeTokenShare",
  "revenue",
  "cost",
  "leaderRevenue",
  "leaderCost",
  "fringeRevenue",
  "fringeCost",
  "averagePrice",
  "leaderAveragePrice",
  "fringePrice",
  "priceRatio",
  "servedShare",
  "leaderServedShare",
  "meanPayment",
  "medianPayment",
  "medianPricePerToken",
] as const;
