/** A fieldset of checkboxes, one per choice, that picks any number of them (a key's scopes, a webhook's events). */
export function CheckboxGroup<T extends string>({
  legend,
  choices,
  picked,
  onChange,
}: {
  legend: string;
  choices: readonly T[];
  picked: readonly T[];
  onChange(picked: T[]): void;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {choices.map((choice) => (
        <label key={choice}>
          <input
            type="checkbox"
            checked={picked.includes(choice)}
            onChange={(e) => onChange(e.target.checked ? [...picked, choice] : picked.filter((x) => x !== choice))}
          />
          {choice}
        </label>
      ))}
    </fieldset>
  );
}
