--TEST--
module: Reflection signatures of every function (HEAD 2.1.x stubs)
--DESCRIPTION--
gearman-rs fix: pecl/gearman 2.1.0 arginfo has older return types (?int, string|bool|null, ...),
non-nullable host parameters and no worker $setupExceptionHandler; gearman-rs follows the
2.1.x HEAD stub (and declares grabJob() as GearmanJob|false, which is what it returns).
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_reflection.inc';
$fs = get_extension_funcs('gearman');
sort($fs);
foreach ($fs as $f) {
    echo gt_sig(new ReflectionFunction($f)), "\n";
}
?>
--EXPECT--
gearman_bugreport(): string req=0
gearman_client_add_options(GearmanClient $obj, int $option): bool req=2
gearman_client_add_server(GearmanClient $obj, ?string $host = NULL, int $port = 0, bool $setupExceptionHandler = true): bool req=1
gearman_client_add_servers(GearmanClient $obj, ?string $servers = NULL, bool $setupExceptionHandler = true): bool req=1
gearman_client_add_task(GearmanClient $obj, string $function_name, string|int|float $workload, mixed $context = NULL, ?string $unique_key = NULL): GearmanTask|false req=3
gearman_client_add_task_background(GearmanClient $obj, string $function_name, string|int|float $workload, mixed $context = NULL, ?string $unique_key = NULL): GearmanTask|false req=3
gearman_client_add_task_background_at(GearmanClient $obj, string $function_name, string $workload, int $timestamp, mixed $context = NULL, ?string $unique_key = NULL): GearmanTask|false req=4
gearman_client_add_task_high(GearmanClient $obj, string $function_name, string|int|float $workload, mixed $context = NULL, ?string $unique_key = NULL): GearmanTask|false req=3
gearman_client_add_task_high_background(GearmanClient $obj, string $function_name, string|int|float $workload, mixed $context = NULL, ?string $unique_key = NULL): GearmanTask|false req=3
gearman_client_add_task_low(GearmanClient $obj, string $function_name, string|int|float $workload, mixed $context = NULL, ?string $unique_key = NULL): GearmanTask|false req=3
gearman_client_add_task_low_background(GearmanClient $obj, string $function_name, string|int|float $workload, mixed $context = NULL, ?string $unique_key = NULL): GearmanTask|false req=3
gearman_client_add_task_status(GearmanClient $obj, string $job_handle, mixed $context = NULL): GearmanTask|false req=2
gearman_client_clear_callbacks(GearmanClient $obj): bool req=1
gearman_client_context(GearmanClient $obj): string req=1
gearman_client_create(): GearmanClient|false req=0
gearman_client_do_background(GearmanClient $obj, string $function, string $workload, ?string $unique = NULL): string req=3
gearman_client_do_background_at(GearmanClient $obj, string $function_name, string $workload, int $timestamp, ?string $unique = NULL): string req=4
gearman_client_do_high(GearmanClient $obj, string $function, string $workload, ?string $unique = NULL): string req=3
gearman_client_do_high_background(GearmanClient $obj, string $function, string $workload, ?string $unique = NULL): string req=3
gearman_client_do_job_handle(GearmanClient $obj): string req=1
gearman_client_do_low(GearmanClient $obj, string $function, string $workload, ?string $unique = NULL): string req=3
gearman_client_do_low_background(GearmanClient $obj, string $function, string $workload, ?string $unique = NULL): string req=3
gearman_client_do_normal(GearmanClient $obj, string $function, string $workload, ?string $unique = NULL): string req=3
gearman_client_do_status(GearmanClient $obj): array req=1
gearman_client_enable_exception_handler(GearmanClient $obj): bool req=1
gearman_client_error(GearmanClient $obj): string|false req=1
gearman_client_get_errno(GearmanClient $obj): int req=1
gearman_client_job_status(GearmanClient $obj, string $job_handle): array req=2
gearman_client_job_status_by_unique_key(GearmanClient $obj, string $unique_key): array req=2
gearman_client_options(GearmanClient $obj): int req=1
gearman_client_ping(GearmanClient $obj, string $workload): bool req=2
gearman_client_remove_options(GearmanClient $obj, int $option): bool req=2
gearman_client_return_code(GearmanClient $obj): int req=1
gearman_client_run_tasks(GearmanClient $obj): bool req=1
gearman_client_server_selection(GearmanClient $obj): int req=1
gearman_client_set_complete_callback(GearmanClient $obj, callable $function): bool req=2
gearman_client_set_context(GearmanClient $obj, string $data): bool req=2
gearman_client_set_created_callback(GearmanClient $obj, callable $function): bool req=2
gearman_client_set_data_callback(GearmanClient $obj, callable $function): bool req=2
gearman_client_set_exception_callback(GearmanClient $obj, callable $function): bool req=2
gearman_client_set_fail_callback(GearmanClient $obj, callable $function): bool req=2
gearman_client_set_options(GearmanClient $obj, int $option): bool req=2
gearman_client_set_server_selection(GearmanClient $obj, int $strategy): bool req=2
gearman_client_set_ssl_options(GearmanClient $obj, array $options): bool req=2
gearman_client_set_status_callback(GearmanClient $obj, callable $function): bool req=2
gearman_client_set_task_failed_callback(GearmanClient $obj, callable $callback): bool req=2
gearman_client_set_timeout(GearmanClient $obj, int $timeout): bool req=2
gearman_client_set_warning_callback(GearmanClient $obj, callable $function): bool req=2
gearman_client_set_workload_callback(GearmanClient $obj, callable $function): bool req=2
gearman_client_stats(GearmanClient $obj): array req=1
gearman_client_timeout(GearmanClient $obj): int req=1
gearman_client_wait(GearmanClient $obj): bool req=1
gearman_job_function_name(GearmanJob $obj): string|false req=1
gearman_job_handle(GearmanJob $obj): string|false req=1
gearman_job_return_code(GearmanJob $obj): int req=1
gearman_job_send_complete(GearmanJob $obj, string $result): bool req=2
gearman_job_send_data(GearmanJob $obj, string $data): bool req=2
gearman_job_send_exception(GearmanJob $obj, string $exception): bool req=2
gearman_job_send_fail(GearmanJob $obj): bool req=1
gearman_job_send_status(GearmanJob $obj, int $numerator, int $denominator): bool req=3
gearman_job_send_warning(GearmanJob $obj, string $warning): bool req=2
gearman_job_set_return(GearmanJob $obj, int $gearman_return_t): bool req=2
gearman_job_unique(GearmanJob $obj): string|false req=1
gearman_job_workload(GearmanJob $obj): string req=1
gearman_job_workload_size(GearmanJob $obj): int req=1
gearman_task_data(GearmanTask $obj): string|false req=1
gearman_task_data_size(GearmanTask $obj): int|false req=1
gearman_task_denominator(GearmanTask $obj): int|false req=1
gearman_task_function_name(GearmanTask $obj): string|false req=1
gearman_task_is_known(GearmanTask $obj): bool req=1
gearman_task_is_running(GearmanTask $obj): bool req=1
gearman_task_job_handle(GearmanTask $obj): string|false req=1
gearman_task_numerator(GearmanTask $obj): int|false req=1
gearman_task_recv_data(GearmanTask $obj, int $data_len): array|false req=2
gearman_task_retry(GearmanTask $obj, int $delayMs = 0): bool req=1
gearman_task_retry_count(GearmanTask $obj): int req=1
gearman_task_return_code(GearmanTask $obj): int req=1
gearman_task_send_workload(GearmanTask $obj, string $data): int|false req=2
gearman_task_unique(GearmanTask $obj): string|false req=1
gearman_verbose_name(int $verbose): ?string req=1
gearman_version(): string req=0
gearman_worker_add_function(GearmanWorker $obj, string $function_name, callable $function, mixed $context = NULL, int $timeout = 0): bool req=3
gearman_worker_add_options(GearmanWorker $obj, int $option): true req=2
gearman_worker_add_server(GearmanWorker $obj, ?string $host = NULL, int $port = 0, bool $setupExceptionHandler = true): bool req=1
gearman_worker_add_servers(GearmanWorker $obj, ?string $servers = NULL, bool $setupExceptionHandler = true): bool req=1
gearman_worker_create(): GearmanWorker|false req=0
gearman_worker_enable_exception_handler(GearmanWorker $obj): bool req=1
gearman_worker_errno(GearmanWorker $obj): int req=1
gearman_worker_error(GearmanWorker $obj): string|false req=1
gearman_worker_grab_job(GearmanWorker $obj): GearmanJob|false req=1
gearman_worker_options(GearmanWorker $obj): int req=1
gearman_worker_ping(GearmanWorker $obj, string $data): bool req=2
gearman_worker_register(GearmanWorker $obj, string $function_name, int $timeout = 0): bool req=2
gearman_worker_remove_options(GearmanWorker $obj, int $option): true req=2
gearman_worker_return_code(GearmanWorker $obj): int req=1
gearman_worker_set_id(GearmanWorker $obj, string $id): bool req=2
gearman_worker_set_options(GearmanWorker $obj, int $option): true req=2
gearman_worker_set_poll_interval(GearmanWorker $obj, int $ms): bool req=2
gearman_worker_set_ssl_options(GearmanWorker $obj, array $options): bool req=2
gearman_worker_set_timeout(GearmanWorker $obj, int $timeout): true req=2
gearman_worker_stats(GearmanWorker $obj): array req=1
gearman_worker_stop_work(GearmanWorker $obj): bool req=1
gearman_worker_timeout(GearmanWorker $obj): int req=1
gearman_worker_unregister(GearmanWorker $obj, string $function_name): bool req=2
gearman_worker_unregister_all(GearmanWorker $obj): bool req=1
gearman_worker_wait(GearmanWorker $obj): bool req=1
gearman_worker_work(GearmanWorker $obj): bool req=1
