// How much of each evidence item the page shows. results.json and the evidence
// files keep everything; the page stays a few hundred KB so it opens at once.
export const PAGE_LIMITS = {
  /** Last lines of each pod log. */
  logLines: 400,
  /** First rows of a table or an event list. */
  tableRows: 500,
  /** First samples in a timeline's data table (the chart draws them all). */
  timelineRows: 300,
  /** Characters of a text or an object's YAML. */
  textChars: 60_000,
} as const;
