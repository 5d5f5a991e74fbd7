import { expect, test, type Page } from '@playwright/test';
import { corpusPath, dropFiles, failOnPageErrors, waitLoaded } from './helpers';

failOnPageErrors();

/** A domain of the corpus refused /dev/tty (16 denials, read and write), ioctls on /dev/null (9) and listing /tmp (1). */
const DOMAIN = '153d5d848';

async function openDomain(page: Page): Promise<void> {
  await page.goto('/');
  await dropFiles(page, [{ name: 'audit-enriched.log', path: corpusPath('audit-enriched.log') }]);
  await waitLoaded(page);
  const bar = page.getByRole('region', { name: 'Filters' });
  await bar.getByLabel('Filter on').selectOption('domain');
  await bar.getByTestId('filter-value').fill(DOMAIN);
  await bar.getByRole('button', { name: 'Add filter' }).click();
  await page.getByRole('tab', { name: 'Try a policy' }).click();
}

const item = (page: Page, object: string) => page.locator(`[data-testid="try-item"][data-object="${object}"]`);

test('the suggested fix passes its dry-run; without its /dev/tty rule those 16 denials are listed as still denied', async ({ page }) => {
  await openDomain(page);
  await page.getByTestId('try-from-suggestion').click();
  const text = page.getByTestId('try-policy-text');
  await expect(text).toHaveValue(/"parent": \["\/dev\/tty"\]/);
  const headline = page.getByTestId('try-headline');
  await expect(headline).toHaveText('Every selected denial would be allowed. 26 denials: 26 allowed · 0 still denied · 0 cannot tell');
  await expect(item(page, '/dev/tty')).toHaveAttribute('data-verdict', 'allowed');
  await expect(item(page, '/dev/tty')).toContainText('by /dev/tty (pathBeneath[1])');

  // The user deletes the rule's line from the JSON.
  const policy = await text.inputValue();
  await text.fill(
    policy
      .split('\n')
      .filter((l) => !l.includes('/dev/tty'))
      .join('\n'),
  );
  await expect(headline).toHaveText('Some denials stay. 26 denials: 10 allowed · 16 still denied · 0 cannot tell');
  const tty = item(page, '/dev/tty');
  await expect(tty).toHaveAttribute('data-verdict', 'denied');
  await expect(tty.locator('td').nth(2)).toHaveText('16');
  await expect(tty).toContainText('write_file: No pathBeneath rule grants write_file on /dev/tty or a directory above it.');
  await expect(item(page, '/dev/null')).toHaveAttribute('data-verdict', 'allowed');
  await expect(item(page, '/tmp')).toHaveAttribute('data-verdict', 'allowed');
  // Only the still denied: the allowed rows go.
  await page.getByRole('checkbox', { name: 'allowed' }).uncheck();
  await expect(page.getByTestId('try-item')).toHaveCount(1);
});

test('a policy file dropped on the box or opened is read as a policy, not as a log; a broken one says where', async ({ page }) => {
  await openDomain(page);
  const toml = '[[path_beneath]]\nallowed_access = ["ioctl_dev"]\nparent = ["/dev"]\n';
  const dt = await page.evaluateHandle((t) => {
    const d = new DataTransfer();
    d.items.add(new File([t], 'mine.toml', { type: 'text/plain' }));
    return d;
  }, toml);
  const box = page.getByTestId('try-policy-text');
  await box.dispatchEvent('dragover', { dataTransfer: dt });
  await box.dispatchEvent('drop', { dataTransfer: dt });
  await expect(box).toHaveValue(toml);
  await expect(page.getByTestId('try-status')).toHaveText('Opened mine.toml.');
  await expect(page.getByTestId('try-headline')).toHaveText('Some denials stay. 26 denials: 9 allowed · 17 still denied · 0 cannot tell');
  await expect(page.getByRole('list', { name: 'Loaded files' }).getByRole('listitem')).toHaveCount(1);

  await box.fill('[[path_beneath]]\nallowed_access = ["read_fiel"]\nparent = ["/dev"]\n');
  await expect(page.getByTestId('try-error')).toHaveText(/^mine\.toml: \[\[path_beneath\]\] 1\.allowed_access: "read_fiel" is not a Landlock fs right/);
  await box.fill('{ "pathBeneath": [ }');
  await expect(page.getByTestId('try-error')).toHaveText('mine.toml is not valid JSON: unexpected "}" (line 1, column 20)');

  const json = '{ "pathBeneath": [{ "allowedAccess": ["ioctl_dev"], "parent": ["/dev"] }] }';
  await page.getByTestId('try-file-input').setInputFiles({ name: 'opened.json', mimeType: 'application/json', buffer: Buffer.from(json) });
  await expect(box).toHaveValue(json);
  await expect(page.getByTestId('try-status')).toHaveText('Opened opened.json.');
  await expect(page.getByTestId('try-headline')).toHaveText('Some denials stay. 26 denials: 9 allowed · 17 still denied · 0 cannot tell');
  await expect(page.getByRole('list', { name: 'Loaded files' }).getByRole('listitem')).toHaveCount(1);
});
