// The three grade scales climbs use, each in its own order (browser-safe: the climbs page uses it).

const plus = (grades: string[]) => grades.flatMap((grade) => [grade, `${grade}+`]);
const letters = (digits: number[], abc: string[]) =>
  digits.flatMap((digit) => abc.map((letter) => `${digit}${letter}`));

/** Fontainebleau (boulders): 3, 3+, 4, 4+, 5, 5+, 6A, 6A+ … 9C, 9C+. */
const fontainebleau = [...plus(["3", "4", "5"]), ...plus(letters([6, 7, 8, 9], ["A", "B", "C"]))];
/** The V scale: VB, V0 … V17. */
const vScale = ["VB", ...Array.from({ length: 18 }, (_, index) => `V${index}`)];
/** French sport grades: 3a, 3a+ … 9c, 9c+. */
const french = plus(letters([3, 4, 5, 6, 7, 8, 9], ["a", "b", "c"]));

export const gradeScales = { fontainebleau, v: vScale, french } as const;
export type GradeScale = keyof typeof gradeScales;

/** The scale a grade belongs to, or null for a grade of none. */
export function scaleOf(grade: string): GradeScale | null {
  for (const [name, grades] of Object.entries(gradeScales)) if (grades.includes(grade)) return name as GradeScale;
  return null;
}

/**
 * Every grade from `from` to `to` (inclusive) on their scale, in its order: "6A" to "7A+" is 6A,
 * 6A+, 6B … 7A, 7A+. A missing end is that end of the scale; the ends must share a scale. Answers
 * an error message instead when they do not, or when the range is upside down.
 */
/** Why a range is refused: its key in the `errors` catalog (`error` is the English text). */
export type RangeRefusal = "grade.notAGrade" | "grade.differentScales" | "grade.reversed";

export function gradeRange(
  from?: string,
  to?: string,
): { grades: string[] } | { error: string; reason: RangeRefusal; field: "gradeFrom" | "gradeTo" } {
  const scale = scaleOf(from ?? to ?? "");
  if (!scale) return { error: "Not a grade", reason: "grade.notAGrade", field: from ? "gradeFrom" : "gradeTo" };
  if (from && to && scaleOf(to) !== scale) {
    return {
      error: "Both ends of a grade range must be on the same scale (e.g. 6A to 7A+, or V3 to V6)",
      reason: "grade.differentScales",
      field: "gradeTo",
    };
  }
  const grades = gradeScales[scale];
  const start = from ? grades.indexOf(from) : 0;
  const end = to ? grades.indexOf(to) : grades.length - 1;
  if (start > end) {
    return { error: "The range ends below where it starts", reason: "grade.reversed", field: "gradeTo" };
  }
  return { grades: grades.slice(start, end + 1) };
}
