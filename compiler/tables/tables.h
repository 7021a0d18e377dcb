// The audit tables (fields, syscalls per arch, message types, errno names, arches, file
// and filesystem types) as libaudit keeps them. Everything else reads tables through here:
// one place to cache them, one place to fake them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace af::tables {

/// libaudit's machine ids (MACH_X86, MACH_86_64, ...).
using Machine = int;

std::optional<uint32_t> field_id(std::string_view name);
std::optional<std::string_view> field_name(uint32_t id);

/// The machine auditctl uses when a rule names no arch: the one it runs on.
Machine host_machine();
std::optional<Machine> machine_from_name(std::string_view name);
std::optional<std::string_view> machine_name(Machine m);
std::optional<uint32_t> machine_to_arch(Machine m);  // AUDIT_ARCH_* value
std::optional<Machine> arch_to_machine(uint32_t arch);
/// Every machine libaudit has a syscall table for, in libaudit's numbering.
const std::vector<Machine>& machines_with_syscalls();
/// The 32-bit machine paired with a 64-bit one (x86_64 -> i386), if any.
std::optional<Machine> compat_machine(Machine m);
bool is_64bit_arch(uint32_t arch);

std::optional<uint32_t> syscall_number(std::string_view name, Machine m);
std::optional<std::string_view> syscall_name(uint32_t number, Machine m);

std::optional<uint32_t> msg_type(std::string_view name);
std::optional<std::string_view> msg_type_name(uint32_t type);

/// Positive errno for a name such as "EPERM" (case-insensitive, as libaudit does).
std::optional<int> errno_number(std::string_view name);
std::optional<std::string_view> errno_name(int number);

/// File type names (file, dir, socket, ...) to S_IF* values.
std::optional<uint32_t> file_type(std::string_view name);
std::optional<std::string_view> file_type_name(uint32_t mode);
/// Filesystem names (tracefs, debugfs, ...) to superblock magic numbers.
std::optional<uint32_t> fs_type(std::string_view name);
std::optional<std::string_view> fs_type_name(uint32_t magic);

/// List names (user, task, exit, ...) and actions (never, possible, always).
std::optional<uint32_t> list_number(std::string_view name);
std::optional<std::string_view> list_name(uint32_t number);
std::optional<uint32_t> action_number(std::string_view name);
std::optional<std::string_view> action_name(uint32_t number);

}  // namespace af::tables
