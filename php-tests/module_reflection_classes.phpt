--TEST--
module: Reflection of every class: modifiers, parents, properties, method signatures (HEAD 2.1.x stubs)
--DESCRIPTION--
gearman-rs fix: pecl/gearman 2.1.0 arginfo has older return types and the method name
"dolow"; gearman-rs follows the 2.1.x HEAD stub (doLow, worker enableExceptionHandler,
worker $setupExceptionHandler, grabJob(): GearmanJob|false). gearman-rs only: the final class GearmanAdmin
and the scheduling/poll-interval methods.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_reflection.inc';
foreach (['GearmanClient', 'GearmanTask', 'GearmanWorker', 'GearmanJob', 'GearmanException', 'GearmanAdmin'] as $c) {
    $rc = new ReflectionClass($c);
    echo "class $c", $rc->isFinal() ? ' final' : '', ' parent=', $rc->getParentClass() ? $rc->getParentClass()->getName() : '-',
        ' interfaces=', implode(',', $rc->getInterfaceNames()), "\n";
    foreach ($rc->getProperties() as $p) {
        echo "  prop ", implode(' ', Reflection::getModifierNames($p->getModifiers())), ' $', $p->getName(), ' decl=', $p->getDeclaringClass()->getName(), "\n";
    }
    $ms = $rc->getMethods();
    usort($ms, fn ($a, $b) => strcmp($a->getName(), $b->getName()));
    foreach ($ms as $m) {
        if ($m->getDeclaringClass()->getName() !== $c) {
            continue;
        }
        echo "  ", implode(' ', Reflection::getModifierNames($m->getModifiers())), ' ', gt_sig($m), "\n";
    }
}
?>
--EXPECT--
class GearmanClient parent=- interfaces=
  public __construct() req=0
  public __destruct() req=0
  public addOptions(int $option): bool req=1
  public addServer(?string $host = NULL, int $port = 0, bool $setupExceptionHandler = true): bool req=0
  public addServers(?string $servers = NULL, bool $setupExceptionHandler = true): bool req=0
  public addTask(string $function_name, string|int|float $workload, mixed $context = NULL, ?string $unique_key = NULL): GearmanTask|false req=2
  public addTaskBackground(string $function_name, string|int|float $workload, mixed $context = NULL, ?string $unique_key = NULL): GearmanTask|false req=2
  public addTaskBackgroundAt(string $function_name, string $workload, int $timestamp, mixed $context = NULL, ?string $unique_key = NULL): GearmanTask|false req=3
  public addTaskHigh(string $function_name, string|int|float $workload, mixed $context = NULL, ?string $unique_key = NULL): GearmanTask|false req=2
  public addTaskHighBackground(string $function_name, string|int|float $workload, mixed $context = NULL, ?string $unique_key = NULL): GearmanTask|false req=2
  public addTaskLow(string $function_name, string|int|float $workload, mixed $context = NULL, ?string $unique_key = NULL): GearmanTask|false req=2
  public addTaskLowBackground(string $function_name, string|int|float $workload, mixed $context = NULL, ?string $unique_key = NULL): GearmanTask|false req=2
  public addTaskStatus(string $job_handle, mixed $context = NULL): GearmanTask|false req=1
  public clearCallbacks(): bool req=0
  public context(): string req=0
  public doBackground(string $function, string $workload, ?string $unique = NULL): string req=2
  public doBackgroundAt(string $function_name, string $workload, int $timestamp, ?string $unique = NULL): string req=3
  public doHigh(string $function, string $workload, ?string $unique = NULL): string req=2
  public doHighBackground(string $function, string $workload, ?string $unique = NULL): string req=2
  public doJobHandle(): string req=0
  public doLow(string $function, string $workload, ?string $unique = NULL): string req=2
  public doLowBackground(string $function, string $workload, ?string $unique = NULL): string req=2
  public doNormal(string $function, string $workload, ?string $unique = NULL): string req=2
  public doStatus(): array req=0
  public enableExceptionHandler(): bool req=0
  public error(): string|false req=0
  public getErrno(): int req=0
  public jobStatus(string $job_handle): array req=1
  public jobStatusByUniqueKey(string $unique_key): array req=1
  public options(): int req=0
  public ping(string $workload): bool req=1
  public removeOptions(int $option): bool req=1
  public returnCode(): int req=0
  public runTasks(): bool req=0
  public serverSelection(): int req=0
  public setCompleteCallback(callable $function): bool req=1
  public setContext(string $data): bool req=1
  public setCreatedCallback(callable $function): bool req=1
  public setDataCallback(callable $function): bool req=1
  public setExceptionCallback(callable $function): bool req=1
  public setFailCallback(callable $function): bool req=1
  public setOptions(int $option): bool req=1
  public setServerSelection(int $strategy): bool req=1
  public setSslOptions(array $options): bool req=1
  public setStatusCallback(callable $function): bool req=1
  public setTaskFailedCallback(callable $callback): bool req=1
  public setTimeout(int $timeout): bool req=1
  public setWarningCallback(callable $function): bool req=1
  public setWorkloadCallback(callable $function): bool req=1
  public stats(): array req=0
  public timeout(): int req=0
  public wait(): bool req=0
class GearmanTask parent=- interfaces=
  public __construct() req=0
  public data(): string|false req=0
  public dataSize(): int|false req=0
  public functionName(): string|false req=0
  public isKnown(): bool req=0
  public isRunning(): bool req=0
  public jobHandle(): string|false req=0
  public recvData(int $data_len): array|false req=1
  public retry(int $delayMs = 0): bool req=0
  public retryCount(): int req=0
  public returnCode(): int req=0
  public sendWorkload(string $data): int|false req=1
  public taskDenominator(): int|false req=0
  public taskNumerator(): int|false req=0
  public unique(): string|false req=0
class GearmanWorker parent=- interfaces=
  public __construct() req=0
  public __destruct() req=0
  public addFunction(string $function_name, callable $function, mixed $context = NULL, int $timeout = 0): bool req=2
  public addOptions(int $option): true req=1
  public addServer(?string $host = NULL, int $port = 0, bool $setupExceptionHandler = true): bool req=0
  public addServers(?string $servers = NULL, bool $setupExceptionHandler = true): bool req=0
  public enableExceptionHandler(): bool req=0
  public error(): string|false req=0
  public getErrno(): int req=0
  public grabJob(): GearmanJob|false req=0
  public options(): int req=0
  public ping(string $data): bool req=1
  public register(string $function_name, int $timeout = 0): bool req=1
  public removeOptions(int $option): true req=1
  public returnCode(): int req=0
  public setId(string $id): bool req=1
  public setOptions(int $option): true req=1
  public setPollInterval(int $ms): bool req=1
  public setSslOptions(array $options): bool req=1
  public setTimeout(int $timeout): true req=1
  public stats(): array req=0
  public stopWork(): bool req=0
  public timeout(): int req=0
  public unregister(string $function_name): bool req=1
  public unregisterAll(): bool req=0
  public wait(): bool req=0
  public work(): bool req=0
class GearmanJob parent=- interfaces=
  public __destruct() req=0
  public functionName(): string|false req=0
  public handle(): string|false req=0
  public returnCode(): int req=0
  public sendComplete(string $result): bool req=1
  public sendData(string $data): bool req=1
  public sendException(string $exception): bool req=1
  public sendFail(): bool req=0
  public sendStatus(int $numerator, int $denominator): bool req=2
  public sendWarning(string $warning): bool req=1
  public setReturn(int $gearman_return_t): bool req=1
  public unique(): string|false req=0
  public workload(): string req=0
  public workloadSize(): int req=0
class GearmanException final parent=Exception interfaces=Throwable,Stringable
  prop protected $message decl=Exception
  prop protected $file decl=Exception
  prop protected $line decl=Exception
  prop public $code decl=GearmanException
class GearmanAdmin final parent=- interfaces=
  public __construct(string $host = 'localhost', int $port = 4730, int $timeout = 5000) req=0
  public cancelJob(string $job_handle): bool req=1
  public command(string $line): string req=1
  public createFunction(string $function_name): bool req=1
  public dropFunction(string $function_name): bool req=1
  public getPid(): int req=0
  public maxQueue(string $function_name, int $size): bool req=2
  public maxQueueByPriority(string $function_name, int $high, int $normal, int $low): bool req=4
  public priorityStatus(): array req=0
  public setSslOptions(array $options): bool req=1
  public showJobs(): array req=0
  public showUniqueJobs(): array req=0
  public status(): array req=0
  public version(): string req=0
  public workers(): array req=0
