# lit configuration for auditforge's command-line tests. Run through ctest, which passes
# --param af=<path to the auditforge binary> and --param shared=<shared/ folder>.
import os
import lit.formats

config.name = "auditforge"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".test"]
config.test_source_root = os.path.dirname(__file__)
config.excludes = ["Inputs"]
# Scratch files (%t) go to the build tree, never into the sources.
config.test_exec_root = lit_config.params.get("out", "/tmp/auditforge-lit")

af = lit_config.params.get("af")
if not af:
    lit_config.fatal("pass --param af=/path/to/auditforge")
shared = lit_config.params.get("shared", os.path.join(config.test_source_root, "..", "..", "..", "shared"))
tools = "/usr/lib/llvm-14/bin"

config.substitutions.append(("%af", af))
config.substitutions.append(("%shared", shared))
# %exit N CMD...: runs CMD and fails unless it exits with exactly N (lit's `not` only means
# non-zero, and 1 and 2 mean different things here).
config.substitutions.append(("%exit", "python3 " + os.path.join(config.test_source_root, "exit_is.py")))
config.environment["PATH"] = tools + os.pathsep + config.environment.get("PATH", os.environ["PATH"])
config.environment["LC_ALL"] = "C"
