// Size limits of the token-distribution market (docs/model.md section 4), shared by the scenario
// checks (engine/scenario/economic-checks.ts) and the type builder (task-types.ts) without
// making either load the other.

/** Types of a token-distribution market are solved exactly over their N² incentive pairs. */
export const MAX_TASK_TYPES = 5000;
