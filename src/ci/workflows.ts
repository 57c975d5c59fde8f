/**
 * The CI files `git spe init --ci github|gitlab` writes: the team's CI executes a pushed plan
 * (or one named by hand) with `git spe exec ID --yes --merge none`, pushes the run's branch and
 * the notes, and opens or updates a pull request whose body is the run record; the job fails
 * with the run's exit code. Everything the job does is in one shell script (`jobScript`), the
 * same on both CIs, with every CI value passed in through the environment (no `${{ }}` inside a
 * script, so nothing a pusher controls is pasted into shell code). Pure.
 */

export interface CiOptions {
  /** git spe's version, pinned in the install command. */
  version: string;
  /** Key variables the exec model needs, taken from the CI's secrets by the same names. */
  keyEnvs: readonly string[];
  /** npm packages the exec model needs besides git spe (an agent CLI). */
  packages: readonly string[];
}

/** The step that runs the job: the e2e test runs this exact script. */
export const jobStepName = "execute the plan, push, open the pull request";

/**
 * The job script. In: `SPEC` (an id or unique prefix), `BASE_BRANCH` (the branch the plan was
 * pushed to), `SPE_TMP` (a scratch directory). Uses `gh` (GitHub) when `SPE_PR=github`, git push
 * options (GitLab) when `SPE_PR=gitlab`.
 */
export function jobScript(): string {
  return `set -u
git config user.name "git spe (CI)"
git config user.email "git-spe-ci@users.noreply.invalid"
# The notes store (and the CI's earlier run records) travel on refs/notes/spe.
git fetch --quiet origin "+refs/notes/spe:refs/notes/spe" 2>/dev/null || true
set +e
git spe exec "$SPEC" --yes --merge none
code=$?
set -e
id=$(git spe status "$SPEC" --json | node -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).id))')
branch="spe/$id"
if git rev-parse --verify --quiet "refs/heads/$branch" >/dev/null; then
  # Pushed even when the run failed: the validated steps, for inspection.
  git push --force origin "refs/heads/$branch:refs/heads/$branch"
  if git spe show "$id" run --format markdown > "$SPE_TMP/spe-pr-body.md"; then
    if [ "\${SPE_PR:-github}" = github ]; then
      if gh pr view "$branch" --json number >/dev/null 2>&1; then
        gh pr edit "$branch" --body-file "$SPE_TMP/spe-pr-body.md"
      else
        gh pr create --base "$BASE_BRANCH" --head "$branch" --title "git spe: $id" --body-file "$SPE_TMP/spe-pr-body.md"
      fi
    else
      git push --force -o merge_request.create -o "merge_request.target=$BASE_BRANCH" -o "merge_request.title=git spe: $id" origin "refs/heads/$branch:refs/heads/$branch"
    fi
  fi
fi
git spe notes push origin
exit "$code"
`;
}

const indent = (text: string, spaces: number) =>
  text
    .trimEnd()
    .split("\n")
    .map((line) => (line ? `${" ".repeat(spaces)}${line}` : ""))
    .join("\n");

function installScript(options: CiOptions): string {
  const packages = [`git-spe@${options.version}`, ...options.packages].join(" ");
  return `sudo apt-get update -qq
sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap
npm install --global ${packages}`;
}

/** The plans a push added or changed, or the one named by hand: one line per spec id. */
const findScript = `if [ -n "$SPEC_INPUT" ]; then
  specs="$SPEC_INPUT"
elif [ -z "$BEFORE" ] || [ "$BEFORE" = 0000000000000000000000000000000000000000 ]; then
  specs=$(git diff-tree --no-commit-id --name-only --diff-filter=AM -r HEAD -- '.spe/*/AI-PLAN.md' | cut -d/ -f2)
else
  specs=$(git diff --name-only --diff-filter=AM "$BEFORE" HEAD -- '.spe/*/AI-PLAN.md' | cut -d/ -f2)
fi
echo "specs=$(node -e 'console.log(JSON.stringify(process.argv.slice(1)))' $specs)" >> "$GITHUB_OUTPUT"`;

export function renderGithubWorkflow(options: CiOptions): string {
  const secrets = options.keyEnvs.map((name) => `      ${name}: \${{ secrets.${name} }}`);
  return `# git spe on GitHub Actions, written by \`git spe init --ci github\`.
# A push that adds or changes .spe/<id>/AI-PLAN.md (or "Run workflow" with a spec id) executes
# the plan with \`git spe exec ID --yes --merge none\`, pushes spe/<id> and refs/notes/spe, and
# opens or updates a pull request whose body is the run record. The job fails with the run's
# exit code. With the notes store, plans travel on refs/notes/spe, which does not trigger
# workflows: run it by hand (gh workflow run git-spe.yml -f spec=ID).
name: git spe

on:
  workflow_dispatch:
    inputs:
      spec:
        description: The spec id (or a unique prefix) whose plan to execute
        required: true
        type: string
  push:
    branches-ignore: ["spe/**"]
    paths: [".spe/*/AI-PLAN.md"]

permissions:
  contents: write
  pull-requests: write

jobs:
  plans:
    name: find the plans to execute
    runs-on: ubuntu-latest
    outputs:
      specs: \${{ steps.find.outputs.specs }}
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - id: find
        name: find the plans to execute
        env:
          SPEC_INPUT: \${{ inputs.spec }}
          BEFORE: \${{ github.event.before }}
        run: |
${indent(findScript, 10)}

  exec:
    needs: plans
    if: needs.plans.outputs.specs != '[]'
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        spec: \${{ fromJSON(needs.plans.outputs.specs) }}
    # One job per spec at a time; a second push of the same plan waits for the first run.
    concurrency:
      group: git-spe-\${{ matrix.spec }}
      cancel-in-progress: false
    env:
      SPEC: \${{ matrix.spec }}
      BASE_BRANCH: \${{ github.ref_name }}
      SPE_PR: github
      GH_TOKEN: \${{ github.token }}
${secrets.join("\n")}
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - name: install git spe and the sandbox
        run: |
${indent(installScript(options), 10)}
      - name: ${jobStepName}
        env:
          SPE_TMP: \${{ runner.temp }}
        run: |
${indent(jobScript(), 10)}
`.replace(/\n{3,}/g, "\n\n");
}

export function renderGitlabJob(options: CiOptions): string {
  return `# git spe on GitLab CI, written by \`git spe init --ci gitlab\`. Include it from
# .gitlab-ci.yml:
#   include:
#     - local: .gitlab/git-spe.gitlab-ci.yml
# A push that adds or changes .spe/<id>/AI-PLAN.md (or a pipeline run by hand with SPEC=<id>)
# executes the plan with \`git spe exec ID --yes --merge none\`, pushes spe/<id> (opening a merge
# request through git push options) and refs/notes/spe. Keys (${options.keyEnvs.join(", ") || "none"}) are
# CI/CD variables by the same names; the job pushes with the token in SPE_PUSH_TOKEN (a project
# access token with write_repository).
git-spe:
  image: node:20-bookworm
  resource_group: git-spe-$SPEC
  rules:
    - if: $CI_PIPELINE_SOURCE == "web" && $SPEC
    - if: $CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH !~ /^spe\\//
      changes:
        - .spe/*/AI-PLAN.md
  variables:
    GIT_DEPTH: 0
    SPE_PR: gitlab
    BASE_BRANCH: $CI_COMMIT_BRANCH
  script:
    - apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap
    - npm install --global ${[`git-spe@${options.version}`, ...options.packages].join(" ")}
    - git remote set-url origin "https://oauth2:\${SPE_PUSH_TOKEN}@\${CI_SERVER_HOST}/\${CI_PROJECT_PATH}.git"
    - export SPE_TMP="$(mktemp -d)"
    - |
      if [ -z "\${SPEC:-}" ]; then
        SPEC=$(git diff --name-only --diff-filter=AM "$CI_COMMIT_BEFORE_SHA" HEAD -- '.spe/*/AI-PLAN.md' | cut -d/ -f2 | head -n 1)
      fi
      export SPEC
    - |
${indent(jobScript(), 6)}
`;
}
